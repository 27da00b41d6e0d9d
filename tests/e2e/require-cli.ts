/**
 * Loaded first by tests/e2e/.mocharc.json: `npm run test:e2e` without a Pulumi CLI fails here,
 * saying how to get one, instead of passing with every test pending. (`npm test` also runs the e2e
 * files, without this check: there they are skipped, saying why.)
 */
import { findCli, HOW_TO_GET_THE_CLI } from "../../tools/pulumi-cli/locate";

if (!findCli()) throw new Error(`npm run test:e2e needs the Pulumi CLI: ${HOW_TO_GET_THE_CLI}`);
