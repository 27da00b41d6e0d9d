import { notFound } from "../errors";
import { paginate, paginateWithTokens, parsePaging } from "../pagination";
import { param, type Route, type RouteContext } from "../router";
import type { ManifestState, RegistryState, RepositoryState } from "../types";
import { byNewest, compressedSize, manifestView, repositoryV2View, tagView } from "../views";

function target(ctx: RouteContext): { registry: RegistryState; repo: RepositoryState } {
    const registry = ctx.store.registry(param(ctx, "registry_name"));
    return { registry, repo: ctx.store.repository(registry, param(ctx, "repository_name")) };
}

interface TagRow {
    m: ManifestState;
    tag: string;
    /** The manifest's compressed size (its blobs as stored), summed once per state version. */
    compressed: number;
}

/** A repository's listing order, and the state version it was computed at. */
interface ListingOrder {
    version: number;
    manifests: readonly ManifestState[];
    newest: readonly ManifestState[];
    tags: readonly TagRow[];
}

/**
 * Kept per repository until the state changes (every handler that changes it calls `touch()`): a
 * listing of 10,000 tags asks for 50 pages, and sorting them all again for each page made the
 * emulator, not the client, the cost of the listing (bench/pagination.ts: ~2 ms and 10,000
 * allocations per page).
 */
const orders = new WeakMap<RepositoryState, ListingOrder>();

/** Manifests newest first, and their tags flattened in that order (then by tag name). */
function listingOrder(ctx: RouteContext, registry: RegistryState, repo: RepositoryState): ListingOrder {
    const version = ctx.store.version;
    const cached = orders.get(repo);
    if (cached && cached.version === version && cached.manifests === repo.manifests) return cached;
    const newest = [...repo.manifests].sort(byNewest);
    const tags: TagRow[] = [];
    for (const m of newest) {
        const compressed = compressedSize(registry, m);
        for (const tag of [...m.tags].sort()) tags.push({ m, tag, compressed });
    }
    const order = { version, manifests: repo.manifests, newest, tags };
    orders.set(repo, order);
    return order;
}

/** Drops repositories left without manifests: the registry stops listing them. */
function pruneEmpty(registry: RegistryState): void {
    registry.repositories = registry.repositories.filter((r) => r.manifests.length > 0);
}

/** Repository, tag and manifest routes. */
export const repositoryRoutes: Route[] = [
    {
        method: "GET",
        path: "/v2/registries/:registry_name/repositoriesV2",
        operationId: "registries_list_repositoriesV2",
        handler: (ctx) => {
            const registry = ctx.store.registry(param(ctx, "registry_name"));
            const sorted = [...registry.repositories].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
            const page = paginateWithTokens(sorted, parsePaging(ctx.query, true), ctx.baseUrl, ctx.rawPath);
            const repositories = page.items.map((repo) => repositoryV2View(registry, repo));
            return { status: 200, body: { repositories, links: page.links, meta: page.meta } };
        },
    },
    {
        method: "DELETE",
        path: "/v2/registries/:registry_name/repositories/:repository_name",
        operationId: "registries_delete_repository",
        handler: (ctx) => {
            const { registry, repo } = target(ctx);
            // Blobs stay in the store until a garbage collection frees them, as in the real registry.
            registry.repositories = registry.repositories.filter((r) => r !== repo);
            ctx.store.touch();
            return { status: 204 };
        },
    },
    {
        method: "GET",
        path: "/v2/registries/:registry_name/repositories/:repository_name/tags",
        operationId: "registries_list_repositoryTags",
        handler: (ctx) => {
            const { registry, repo } = target(ctx);
            const page = paginate(
                listingOrder(ctx, registry, repo).tags,
                parsePaging(ctx.query, false),
                ctx.baseUrl,
                ctx.rawPath,
            );
            const tags = page.items.map(({ m, tag, compressed }) => tagView(registry, repo, m, tag, compressed));
            return { status: 200, body: { tags, links: page.links, meta: page.meta } };
        },
    },
    {
        method: "DELETE",
        path: "/v2/registries/:registry_name/repositories/:repository_name/tags/:repository_tag",
        operationId: "registries_delete_repositoryTag",
        handler: (ctx) => {
            const { repo } = target(ctx);
            const tag = param(ctx, "repository_tag");
            const m = repo.manifests.find((x) => x.tags.includes(tag));
            if (!m) throw notFound(`tag "${tag}" not found in repository "${repo.name}"`);
            m.tags = m.tags.filter((t) => t !== tag);
            ctx.store.touch();
            return { status: 204 };
        },
    },
    {
        method: "GET",
        path: "/v2/registries/:registry_name/repositories/:repository_name/digests",
        operationId: "registries_list_repositoryManifests",
        handler: (ctx) => {
            const { registry, repo } = target(ctx);
            const page = paginate(
                listingOrder(ctx, registry, repo).newest,
                parsePaging(ctx.query, false),
                ctx.baseUrl,
                ctx.rawPath,
            );
            const manifests = page.items.map((m) => manifestView(registry, repo, m));
            return { status: 200, body: { manifests, links: page.links, meta: page.meta } };
        },
    },
    {
        method: "DELETE",
        path: "/v2/registries/:registry_name/repositories/:repository_name/digests/:manifest_digest",
        operationId: "registries_delete_repositoryManifest",
        handler: (ctx) => {
            const { registry, repo } = target(ctx);
            const digest = param(ctx, "manifest_digest");
            const before = repo.manifests.length;
            repo.manifests = repo.manifests.filter((m) => m.digest !== digest);
            if (repo.manifests.length === before) throw notFound(`manifest "${digest}" not found in "${repo.name}"`);
            pruneEmpty(registry);
            ctx.store.touch();
            return { status: 204 };
        },
    },
];
