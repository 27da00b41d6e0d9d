import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { urn } from "../../harness/engine";
import { type World } from "../../harness/world";
import { useWorld } from "../support/world";

const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-docr-journal-"));
const TYPE = "pulumi-nodejs:dynamic/docr:Registry";

/**
 * The create journal through the real host (the e2e suite kills a real CLI: tests/e2e/recovery.test.ts).
 * A create whose request got no answer and that the API carries out later (a client timeout, a
 * dropped connection) is adopted by the next create of the same resource, and only of that one.
 */
describe("Registry: a create whose outcome is unknown, and the next create of the same resource", function () {
    const current = useWorld({ hostEnv: { DOCR_JOURNAL_DIR: journalDir } });
    let world: World;
    beforeEach(function () {
        world = current();
        fs.rmSync(journalDir, { recursive: true, force: true });
    });
    after(function () {
        fs.rmSync(journalDir, { recursive: true, force: true });
    });

    const inputs = (name: string, resource: string) => ({
        name,
        region: "fra1",
        subscriptionTierSlug: "basic",
        __docrUrn: urn(TYPE, resource),
    });

    /** A create whose request is lost before the API acts: the API may still act, so the entry stays. */
    async function unanswered(name: string, resource: string): Promise<Error> {
        world.emulator.setFaults([{ operationId: "registries_create", dropConnection: true, times: 1 }]);
        const reg = await world.resource("Registry", resource);
        const err = await reg.create(inputs(name, resource)).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(err, "the create fails").to.be.instanceOf(Error);
        expect(fs.readdirSync(journalDir), "its journal entry stays").to.have.length(1);
        return err!;
    }

    it("says the API may still create the registry and what to run; the next create adopts what the API made later", async function () {
        const err = await unanswered("acme-late", "late");
        expect(err.message).to.match(/registry "acme-late" does not exist yet, but the API may still create it/);
        expect(err.message).to.include("run `pulumi up` again: it adopts the registry if this create made it");
        // The API carries the request out after all.
        world.emulator.seed({ registries: [{ name: "acme-late", region: "fra1" }] });
        world.takeRequests();

        const reg = await world.resource("Registry", "late");
        const created = await reg.create(inputs("acme-late", "late"));
        expect(created.id).to.equal("acme-late");
        expect(world.takeRequests(), "a look, no second create").to.deep.equal(["registries_get"]);
        expect(fs.readdirSync(journalDir), "the entry is cleared").to.deep.equal([]);
        await world.host.waitForOutput(/an interrupted pulumi up of this stack had created it; adopted it/);
    });

    it("another resource (another stack's URN) of the same name is not adopted: it gets the 409 and the one command", async function () {
        await unanswered("acme-shared", "mine");
        world.emulator.seed({ registries: [{ name: "acme-shared", region: "fra1" }] });
        const theirs = await world.resource("Registry", "theirs");
        const err = await theirs.create(inputs("acme-shared", "theirs")).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(err?.message).to.match(/registry "acme-shared" already exists in this team/);
        expect(err?.message).to.include("`DOCR_ADOPT_REGISTRY=acme-shared pulumi up`");
        expect(fs.readdirSync(journalDir), "the first resource's entry is still there").to.have.length(1);
    });

    it("a registry older than the journaled request is not that create's work: not adopted", async function () {
        await unanswered("acme-older", "older");
        world.emulator.seed({
            registries: [{ name: "acme-older", region: "fra1", createdAt: "2020-01-01T00:00:00Z" }],
        });
        const reg = await world.resource("Registry", "older");
        const err = await reg.create(inputs("acme-older", "older")).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(err?.message).to.match(/registry "acme-older" already exists in this team/);
        expect(fs.readdirSync(journalDir), "the entry, shown wrong, is forgotten").to.deep.equal([]);
    });

    it("a create without the resource's URN (state of an earlier version) journals nothing", async function () {
        world.emulator.setFaults([{ operationId: "registries_create", dropConnection: true, times: 1 }]);
        const reg = await world.resource("Registry", "plain");
        const err = await reg.create({ name: "acme-plain", region: "fra1", subscriptionTierSlug: "basic" }).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(err?.message).to.include("`DOCR_ADOPT_REGISTRY=acme-plain pulumi up`");
        expect(fs.existsSync(journalDir)).to.equal(false);
    });
});
