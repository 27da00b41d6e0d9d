// Mocha's spec output, plus (when DOCR_TEST_RESULTS names a file) the run's counts as JSON,
// so .ci/run can print "N passed, N failed" from the real results.
"use strict";
const fs = require("fs");
const Mocha = require("mocha");

class SpecWithResults extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        const file = process.env.DOCR_TEST_RESULTS;
        if (!file) return;
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const { passes, failures, pending, tests } = this.stats;
            fs.writeFileSync(file, JSON.stringify({ passes, failures, pending, tests }));
        });
    }
}

module.exports = SpecWithResults;
