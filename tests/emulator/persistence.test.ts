import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { at, call, SMALL_FIXTURE, start } from "./helpers";

/** A state file as the emulator writes it: one registry with a repository, a GC and a credential. */
function wellFormedState(): Record<string, unknown> {
    return {
        subscription: { tier: "basic", createdAt: "2024-01-01T00:00:00.000Z", updatedAt: "2024-01-01T00:00:00.000Z" },
        takenNames: ["someone-elses"],
        registries: [
            {
                name: "acme",
                region: "fra1",
                createdAt: "2024-01-01T00:00:00.000Z",
                blobStore: { "sha256:base": 1000 },
                storageUpdatedAt: "2024-01-01T00:00:00.000Z",
                repositories: [
                    {
                        name: "team/app",
                        manifests: [
                            {
                                digest: "sha256:m",
                                tags: ["v1"],
                                updatedAt: "2024-01-02T00:00:00Z",
                                blobs: ["sha256:base"],
                                sizeBytes: 2000,
                            },
                        ],
                    },
                ],
                garbageCollections: [
                    {
                        uuid: "gc-1",
                        type: "unreferenced blobs only",
                        createdAt: "2024-01-03T00:00:00.000Z",
                        finalStatus: "succeeded",
                        finishedAt: "2024-01-03T00:01:00.000Z",
                        blobsDeleted: 0,
                        freedBytes: 0,
                    },
                ],
            },
        ],
        credentials: [
            {
                registry: "acme",
                readWrite: false,
                expirySeconds: 0,
                issuedAt: "2024-01-01T00:00:00.000Z",
                expiresAt: null,
                username: "u",
            },
        ],
        token: "dop_v1_kept_in_state",
    };
}

/** A pid no process has: a child that has already exited. */
function deadPid(): number {
    const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
        encoding: "utf8",
    });
    return Number(child.stdout);
}

describe("emulator: state persistence", () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "docr-emu-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("persists every change atomically and reloads it on restart", async () => {
        const statePath = join(dir, "state.json");
        const first = await start({ statePath, fixture: SMALL_FIXTURE });
        expect(existsSync(statePath)).to.equal(true);
        await call(first, "POST", "/v2/registries/subscription", { tier_slug: "professional" });
        await call(first, "POST", "/v2/registries", { name: "second", region: "sgp1" });
        await call(first, "DELETE", "/v2/registries/acme/repositories/team%2Fapp/tags/v1");
        await call(first, "GET", "/v2/registries/second/docker-credentials?read_write=true");
        expect(readdirSync(dir)).to.deep.equal(["state.json"]);
        await first.stop();

        const second = await start({ statePath });
        try {
            const list = await call(second, "GET", "/v2/registries");
            expect((list.json.registries as unknown[]).map((r) => at(r, "name"))).to.deep.equal(["acme", "second"]);
            expect(
                at((await call(second, "GET", "/v2/registries/subscription")).json, "subscription.tier.slug"),
            ).to.equal("professional");
            const tags = await call(second, "GET", "/v2/registries/acme/repositories/team%2Fapp/tags");
            expect((tags.json.tags as { tag: string }[]).map((t) => t.tag)).to.deep.equal(["latest", "v2"]);
            expect(second.credentials()).to.have.length(1);
            expect(
                (await call(second, "POST", "/v2/registries/validate-name", { name: "someone-elses" })).status,
            ).to.equal(409);
        } finally {
            await second.stop();
        }
    });

    it("a restart with the same --fixture resumes the state file instead of seeding again", async () => {
        const statePath = join(dir, "state.json");
        const first = await start({ statePath, fixture: SMALL_FIXTURE });
        await call(first, "DELETE", "/v2/registries/acme/repositories/team%2Fapp/tags/v1");
        await first.stop();
        const second = await start({ statePath, fixture: SMALL_FIXTURE });
        try {
            const tags = await call(second, "GET", "/v2/registries/acme/repositories/team%2Fapp/tags");
            expect((tags.json.tags as { tag: string }[]).map((t) => t.tag)).to.deep.equal(["latest", "v2"]);
        } finally {
            await second.stop();
        }
    });

    it("reset returns to a fresh account and persists that", async () => {
        const statePath = join(dir, "state.json");
        const emu = await start({ statePath, fixture: SMALL_FIXTURE });
        const res = await fetch(`${emu.url}/_emulator/reset`, { method: "POST" });
        expect(res.status).to.equal(204);
        expect(emu.snapshot()).to.deep.equal({
            subscription: null,
            takenNames: [],
            registries: [],
            credentials: [],
            clusters: [],
        });
        await emu.stop();
        const again = await start({ statePath });
        expect(again.snapshot().registries).to.deep.equal([]);
        await again.stop();
    });

    it("admin seed accepts a fixture (with generated repositories) and rejects bad ones", async () => {
        const emu = await start();
        try {
            const ok = await fetch(`${emu.url}/_emulator/seed`, {
                method: "POST",
                body: JSON.stringify({
                    registries: [
                        {
                            name: "gen",
                            repositories: [{ name: "ci/app", generate: { tagCount: 50, untaggedCount: 5, seed: 1 } }],
                        },
                    ],
                }),
            });
            expect(ok.status).to.equal(200);
            const tags = await call(emu, "GET", "/v2/registries/gen/repositories/ci%2Fapp/tags?per_page=1");
            expect(tags.json.meta).to.deep.equal({ total: 50 });
            const state = (await (await fetch(`${emu.url}/_emulator/state`)).json()) as {
                subscription: { tier: string };
            };
            expect(state.subscription.tier).to.equal("basic");
            const bad = await fetch(`${emu.url}/_emulator/seed`, {
                method: "POST",
                body: JSON.stringify({ registries: [{ name: "Bad Name" }] }),
            });
            expect(bad.status).to.equal(422);
        } finally {
            await emu.stop();
        }
    });

    it("a well-formed state file (every kind of entry) loads", async () => {
        const statePath = join(dir, "state.json");
        writeFileSync(statePath, JSON.stringify(wellFormedState()));
        const emu = await start({ statePath });
        try {
            expect(emu.token).to.equal("dop_v1_kept_in_state");
            expect((await call(emu, "GET", "/v2/registries/acme/repositories/team%2Fapp/tags")).status).to.equal(200);
            expect((await call(emu, "GET", "/v2/registries/acme/garbage-collections")).status).to.equal(200);
        } finally {
            await emu.stop();
        }
    });

    it("a state file with a malformed entry is refused at start, naming the file and the first bad entry", async () => {
        const statePath = join(dir, "state.json");
        const registry = (s: Record<string, unknown>): Record<string, unknown> =>
            (s.registries as Record<string, unknown>[])[0];
        const cases: [string, (s: Record<string, unknown>) => void, RegExp][] = [
            [
                "registries[0].repositories[0].manifests[0].tags",
                (s) =>
                    (registry(s).repositories = [
                        {
                            name: "team/app",
                            manifests: [
                                {
                                    digest: "sha256:m",
                                    tags: "v1",
                                    updatedAt: "2024-01-02T00:00:00Z",
                                    blobs: [],
                                    sizeBytes: 1,
                                },
                            ],
                        },
                    ]),
                /expected array/,
            ],
            ["registries[0].name", (s) => (registry(s).name = 42), /expected string/],
            [
                "registries[0].garbageCollections[0].createdAt",
                (s) =>
                    (registry(s).garbageCollections = [
                        { ...(registry(s).garbageCollections as object[])[0], createdAt: "yesterday" },
                    ]),
                /ISO 8601/,
            ],
            [
                "registries[0].blobStore.sha256:base",
                (s) => (registry(s).blobStore = { "sha256:base": "1000" }),
                /expected number/,
            ],
            [
                "subscription.tier",
                (s) =>
                    (s.subscription = {
                        tier: "gold",
                        createdAt: "2024-01-01T00:00:00Z",
                        updatedAt: "2024-01-01T00:00:00Z",
                    }),
                /starter/,
            ],
            ["credentials[0]", (s) => (s.credentials = ["not a record"]), /expected object/],
            ["registries[1]", (s) => (s.registries = [...(s.registries as unknown[]), null]), /expected object/],
            ["token", (s) => (s.token = 7), /expected string/],
        ];
        for (const [path, spoil, detail] of cases) {
            const state = wellFormedState();
            spoil(state);
            const text = JSON.stringify(state);
            writeFileSync(statePath, text);
            let error: unknown;
            await start({ statePath }).then(
                (emu) => emu.stop(),
                (err: unknown) => (error = err),
            );
            expect(error, path).to.be.instanceOf(Error);
            const message = (error as Error).message;
            const prefix = `${statePath} is not an emulator state file: ${path}: `;
            expect(message.slice(0, prefix.length), path).to.equal(prefix);
            expect(message, path).to.match(detail);
            expect(message, path).to.not.include("dop_v1_kept_in_state");
            expect(readFileSync(statePath, "utf8"), "a refused file is left as it was").to.equal(text);
        }
    });

    it("a truncated state file is refused at start, naming the file", async () => {
        const statePath = join(dir, "state.json");
        writeFileSync(statePath, JSON.stringify(wellFormedState()).slice(0, 150));
        let error: unknown;
        await start({ statePath }).then(
            (emu) => emu.stop(),
            (err: unknown) => (error = err),
        );
        const prefix = `${statePath} is not an emulator state file: not valid JSON (`;
        expect((error as Error).message.slice(0, prefix.length)).to.equal(prefix);
    });

    it("start clears the temp files a killed write left beside the state file, and nothing else", async () => {
        const statePath = join(dir, "state.json");
        writeFileSync(statePath, JSON.stringify(wellFormedState()));
        const leftovers = [
            `state.json.${deadPid()}.tmp`,
            `state.json.${process.pid}.tmp`,
            "state.json.12345678901.tmp",
        ];
        const kept = [
            `state.json.${process.ppid}.tmp`, // its writer is alive: another emulator on the same file, mid-write
            "state.json.tmp",
            "state.json.abc.tmp",
            "state.json.1.tmp.bak",
            "state.json.bak",
            "other.json.1.tmp",
            "xstate.json.1.tmp",
            "notes.txt",
        ];
        for (const name of [...leftovers, ...kept]) writeFileSync(join(dir, name), "x".repeat(1000));
        const dirName = `state.json.${deadPid()}.tmp`; // a directory, not a temp file
        mkdirSync(join(dir, dirName));
        const emu = await start({ statePath });
        try {
            expect(emu.token).to.equal("dop_v1_kept_in_state");
            expect(readdirSync(dir).sort()).to.deep.equal([...kept, "state.json", dirName].sort());
            // The emulator's own writes still leave no temp file behind.
            await call(emu, "POST", "/v2/registries/validate-name", { name: "free-name" });
            await call(emu, "DELETE", "/v2/registries/acme/repositories/team%2Fapp/tags/v1");
            expect(readdirSync(dir).sort()).to.deep.equal([...kept, "state.json", dirName].sort());
        } finally {
            await emu.stop();
        }
    });

    it("a killed first write (a temp file, no state file yet) is cleared too", async () => {
        const statePath = join(dir, "fresh.json");
        writeFileSync(join(dir, `fresh.json.${deadPid()}.tmp`), '{"subscription":nu');
        const emu = await start({ statePath });
        await emu.stop();
        expect(readdirSync(dir)).to.deep.equal(["fresh.json"]);
    });
});
