"use strict";
const { PolicyPack } = require("@pulumi/policy");
const { docrPolicies } = require("pulumi-docr/policy");

new PolicyPack("docr", { policies: docrPolicies() });
