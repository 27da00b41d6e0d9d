/**
 * `startProviderHost`: a host process ({@link spawnHost}) plus a gRPC client ({@link connectHost}).
 */
import { connectHost } from "./calls";
import type { ProviderHost, StartOptions } from "./host";
import { spawnHost } from "./process";

/**
 * Start a dynamic-provider host (`node @pulumi/pulumi/cmd/dynamic-provider <engine>`) and connect to it.
 * Call `stop()` in an `after`/`afterEach` hook: `after(() => host?.stop())`. Hosts still running when
 * the test process exits are killed by an exit hook.
 */
export async function startProviderHost(options: StartOptions = {}): Promise<ProviderHost> {
    const callTimeoutMs = options.callTimeoutMs ?? 20000;
    const proc = await spawnHost(options);
    const connection = connectHost(proc.port, callTimeoutMs);

    const host: ProviderHost = {
        pid: proc.pid,
        ...connection.calls,
        output: proc.output,
        clearOutput: proc.clearOutput,
        waitForOutput: proc.waitForOutput,
        async stop() {
            connection.close();
            await proc.kill();
        },
    };
    return host;
}
