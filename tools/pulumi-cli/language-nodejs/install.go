package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// InstallDependencies is `pulumi install` (and the install step of `pulumi new`): the project's
// package manager (npm unless `packagemanager` or a yarn/pnpm/bun lock file says otherwise) in the
// program's folder, or at the root of the npm/yarn/pnpm workspace it belongs to.
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()

	info := req.GetInfo()
	dir := info.GetProgramDirectory()
	root, err := npm.FindWorkspaceRoot(dir)
	switch {
	case errors.Is(err, npm.ErrNotInWorkspace):
		root = dir
	case err != nil:
		return fmt.Errorf("could not look for an npm workspace above %s: %w", dir, err)
	default:
		fmt.Fprintf(stdout, "Installing in the workspace at %s\n", root)
	}
	opts := parseOptions(info.GetOptions().AsMap())
	name, err := npm.Install(server.Context(), opts.packageManager, root, false, stdout, stderr)
	if err != nil {
		return fmt.Errorf("%s install in %s failed: %w", name, root, err)
	}
	fmt.Fprintf(stdout, "Installed dependencies with %s\n", name)
	return closer.Close()
}

// GetRequiredPackages lists the resource plugins the program's node_modules declare (a package.json
// with `"pulumi": {"resource": true}`, as @pulumi/aws and other provider SDKs have). pulumi-docr is
// made of dynamic resources and declares none: the engine needs only pulumi-resource-pulumi-nodejs.
func (h *host) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	packages, err := resourcePlugins(filepath.Join(req.GetInfo().GetProgramDirectory(), "node_modules"), map[string]bool{})
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: packages}, nil
}

// resourcePlugins walks a node_modules folder: its packages, @scope folders and nested node_modules.
func resourcePlugins(nodeModules string, seen map[string]bool) ([]*pulumirpc.PackageDependency, error) {
	entries, err := os.ReadDir(nodeModules)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var found []*pulumirpc.PackageDependency
	for _, e := range entries {
		dir := filepath.Join(nodeModules, e.Name())
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if strings.HasPrefix(e.Name(), "@") {
			scoped, err := resourcePlugins(dir, seen)
			if err != nil {
				return nil, err
			}
			found = append(found, scoped...)
			continue
		}
		// npm links (workspaces, file: dependencies) can make cycles.
		real, err := filepath.EvalSymlinks(dir)
		if err != nil || seen[real] {
			continue
		}
		seen[real] = true
		if dep, err := resourcePlugin(filepath.Join(real, "package.json")); err != nil {
			return nil, err
		} else if dep != nil {
			found = append(found, dep)
		}
		nested, err := resourcePlugins(filepath.Join(real, "node_modules"), seen)
		if err != nil {
			return nil, err
		}
		found = append(found, nested...)
	}
	return found, nil
}

func resourcePlugin(manifest string) (*pulumirpc.PackageDependency, error) {
	b, err := os.ReadFile(manifest)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var pkg struct {
		Name    string                  `json:"name"`
		Version string                  `json:"version"`
		Pulumi  plugin.PulumiPluginJSON `json:"pulumi"`
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		return nil, fmt.Errorf("%s: %w", manifest, err)
	}
	if !pkg.Pulumi.Resource {
		return nil, nil
	}
	name := pkg.Pulumi.Name
	if name == "" {
		// Only Pulumi's own SDKs may leave the plugin name to their package name.
		trimmed, ok := strings.CutPrefix(pkg.Name, "@pulumi/")
		if !ok {
			return nil, fmt.Errorf("%s: a resource plugin outside @pulumi/ needs pulumi.name", manifest)
		}
		name = trimmed
	}
	version := pkg.Pulumi.Version
	if version == "" {
		version = pkg.Version
	}
	if version != "" && !strings.HasPrefix(version, "v") {
		version = "v" + version
	}
	dep := &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: version, Server: pkg.Pulumi.Server}
	if p := pkg.Pulumi.Parameterization; p != nil {
		dep.Parameterization = &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
	}
	return dep, nil
}
