/**
 * One connection key, one store (issue 23): two copies of the package in one process (here the
 * sources and the built dist/) share the quota, the shared reads and what check learned, for the
 * same API URL and token however the URL is spelled; and one parser reads numeric settings.
 */
import { expect } from "chai";
import * as quota from "../../provider/client/quota";
import * as checks from "../../provider/resources/remote-checks";
import * as reads from "../../provider/resources/shared-reads";
import { configuredRequestsPerMinute } from "../../provider/resources/retention/cost";
import { previewWindowMs } from "../../provider/resources/retention/preview-bound";

/* eslint-disable @typescript-eslint/no-require-imports -- the second copy is loaded by path, as a second install would be */
const builtQuota = require("../../dist/provider/client/quota.js") as typeof quota;
const builtChecks = require("../../dist/provider/resources/remote-checks.js") as typeof checks;
const builtReads = require("../../dist/provider/resources/shared-reads.js") as typeof reads;
/* eslint-enable @typescript-eslint/no-require-imports */

describe("one connection key, one store for every copy of the package", function () {
    const token = `dop_v1_${"5".repeat(64)}`;
    const apiUrl = "http://127.0.0.1:9";

    it("the two copies are two copies", () => {
        expect(builtReads.SharedReads).not.to.equal(reads.SharedReads);
    });

    it("share the quota tracker", () => {
        expect(builtQuota.quotaTracker({ apiUrl, token })).to.equal(quota.quotaTracker({ apiUrl, token }));
    });

    it("share the shared reads, however the API URL is spelled", () => {
        expect(builtReads.sharedReadsFor({ token, apiUrl: `${apiUrl}/` })).to.equal(
            reads.sharedReadsFor({ token, apiUrl }),
        );
        expect(reads.sharedReadsFor({ token: `${token}x`, apiUrl })).not.to.equal(
            reads.sharedReadsFor({ token, apiUrl }),
        );
    });

    it("share what check learned", () => {
        checks.notePlannedRegistry({ token, apiUrl }, "planned-in-one-copy");
        expect(builtChecks.isPlannedRegistry({ token, apiUrl: `${apiUrl}/` }, "planned-in-one-copy")).to.equal(true);
    });
});

describe("numeric settings: one parser, failing clearly", function () {
    it("DOCR_MAX_REQUESTS_PER_MINUTE for the retention estimate fails as the client does, not silently", () => {
        expect(() => configuredRequestsPerMinute({ DOCR_MAX_REQUESTS_PER_MINUTE: "fast" })).to.throw(
            /DOCR_MAX_REQUESTS_PER_MINUTE must be a positive number, got "fast"/,
        );
        expect(configuredRequestsPerMinute({ DOCR_MAX_REQUESTS_PER_MINUTE: "120" })).to.equal(120);
    });

    it("DOCR_RETENTION_PREVIEW_WINDOW_MS names the variable and the range", () => {
        expect(() => previewWindowMs({ DOCR_RETENTION_PREVIEW_WINDOW_MS: "-5" })).to.throw(
            /DOCR_RETENTION_PREVIEW_WINDOW_MS must be a number of milliseconds, 0 or more \(0: no bound across checks\), got "-5"/,
        );
    });
});
