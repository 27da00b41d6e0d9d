package main

import (
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
)

// runtimeOptions are the `runtime.options` of Pulumi.yaml (or PulumiPolicy.yaml) this host reads,
// with the defaults of Pulumi's own host.
type runtimeOptions struct {
	// typescript: a program is run through ts-node unless the project says `typescript: false`.
	typescript bool
	tsconfig   string
	// nodeargs: flags for node itself, split on spaces.
	nodeargs       string
	packageManager npm.PackageManagerType
}

func parseOptions(options map[string]any) runtimeOptions {
	opts := runtimeOptions{typescript: true, packageManager: npm.AutoPackageManager}
	if v, ok := options["typescript"].(bool); ok {
		opts.typescript = v
	}
	if v, ok := options["tsconfig"].(string); ok {
		opts.tsconfig = v
	}
	if v, ok := options["nodeargs"].(string); ok {
		opts.nodeargs = v
	}
	if v, ok := options["packagemanager"].(string); ok && v != "" {
		opts.packageManager = npm.PackageManagerType(v)
	}
	return opts
}

func (o runtimeOptions) nodeArgs() []string {
	return strings.Fields(o.nodeargs)
}

// typescriptEnv is how @pulumi/pulumi's run scripts learn the TypeScript options.
func (o runtimeOptions) typescriptEnv() []string {
	env := []string{"PULUMI_NODEJS_TYPESCRIPT=" + strconv.FormatBool(o.typescript)}
	if o.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return env
}
