// Mocha's spec output, plus (when DOCR_TEST_RESULTS names a file) the run's counts as JSON,
// so .ci/run can print "N passed, N failed" from the real results. An e2e run on another Node
// (DOCR_E2E_NODE, a bin folder of tools/node/install.sh) names that Node in its top-level titles.
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const Mocha = require("mocha");

class SpecWithResults extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        const bin = process.env.DOCR_E2E_NODE;
        if (bin) {
            const version = execFileSync(path.join(bin, "node"), ["--version"], { encoding: "utf8" }).trim();
            runner.once(Mocha.Runner.constants.EVENT_RUN_BEGIN, () => {
                for (const suite of runner.suite.suites) suite.title += ` [Node ${version}]`;
            });
        }
        const file = process.env.DOCR_TEST_RESULTS;
        if (!file) return;
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const { passes, failures, pending, tests } = this.stats;
            fs.writeFileSync(file, JSON.stringify({ passes, failures, pending, tests }));
        });
    }
}

module.exports = SpecWithResults;
