package main

import (
	"context"
	"fmt"
	"os/exec"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// About is the "Language" part of `pulumi about`: node's path and version, the package manager,
// and the TypeScript the program would load (when it has one).
func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("node is not on PATH: %w", err)
	}
	pm, err := npm.ResolvePackageManager(parseOptions(req.GetInfo().GetOptions().AsMap()).packageManager, dir)
	if err != nil {
		return nil, err
	}
	metadata := map[string]string{"packagemanager": pm.Name()}
	if v, err := pm.Version(); err == nil {
		metadata["packagemanagerVersion"] = v.String()
	}
	if v := nodeOutput(ctx, dir, "-e", "console.log(require('typescript/package.json').version)"); v != "" {
		metadata["typescriptVersion"] = v
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    nodeOutput(ctx, dir, "--version"),
		Metadata:   metadata,
	}, nil
}

// GetProgramDependencies is the "Dependencies" table of `pulumi about`, from the lock file.
func (h *host) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	pm, err := npm.ResolvePackageManager(parseOptions(req.GetInfo().GetOptions().AsMap()).packageManager, dir)
	if err != nil {
		return nil, err
	}
	packages, err := pm.ListPackages(ctx, dir, req.GetTransitiveDependencies())
	if err != nil {
		return nil, fmt.Errorf("could not list the program's dependencies: %w", err)
	}
	deps := make([]*pulumirpc.DependencyInfo, len(packages))
	for i, p := range packages {
		deps[i] = &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version}
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// nodeOutput is what node prints in the program's folder, or "" when it fails (not worth failing
// `pulumi about` for).
func nodeOutput(ctx context.Context, dir string, args ...string) string {
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
