import type { Route } from "../router";
import { accountRoutes } from "./account";
import { credentialRoutes } from "./credentials";
import { gcRoutes } from "./gc";
import { kubernetesRoutes } from "./kubernetes";
import { registryRoutes } from "./registries";
import { repositoryRoutes } from "./repositories";

/** All 19 name-addressed `/v2/registries` operations, and the six DOKS ones under `/v2/kubernetes`. */
export const API_ROUTES: readonly Route[] = [
    ...registryRoutes,
    ...accountRoutes,
    ...credentialRoutes,
    ...gcRoutes,
    ...repositoryRoutes,
    ...kubernetesRoutes,
];
