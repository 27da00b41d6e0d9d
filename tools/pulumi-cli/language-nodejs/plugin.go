package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strconv"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// RunPlugin runs a plugin written in Node.js: a policy pack (PulumiPolicy.yaml, started by
// `--policy-pack DIR`) through `@pulumi/pulumi/cmd/run-policy-pack`, anything else through
// `@pulumi/pulumi/cmd/run-plugin`, both from the plugin's own node_modules. Its output is streamed
// back to the engine, which reads the plugin's gRPC port from the first line.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	ctx := server.Context()
	info := req.GetInfo()
	dir := info.GetProgramDirectory()
	opts := parseOptions(info.GetOptions().AsMap())
	policyPack := req.GetKind() == string(apitype.AnalyzerPlugin)

	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	module := "@pulumi/pulumi/cmd/run-plugin"
	if policyPack {
		module = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	script, err := resolveModule(ctx, dir, module)
	if err != nil {
		return err
	}
	args := append(opts.nodeArgs(), script)
	if policyPack {
		// run-policy-pack takes the pack's folder last.
		args = append(append(args, req.GetArgs()...), dir)
	} else {
		args = append(append(args, dir), req.GetArgs()...)
	}
	env := append(req.GetEnv(), opts.typescriptEnv()...)

	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = req.GetPwd()
	var proxy *sdk.PolicyProxy
	if policyPack {
		// @pulumi/policy reads the stack's name and config from the environment, while the engine
		// sends them over gRPC once it is connected to the pack (ConfigureStack). The SDK's proxy
		// takes that call first, then starts the pack with them and forwards everything else.
		proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout)
		if err != nil {
			return fmt.Errorf("could not start the policy pack proxy: %w", err)
		}
		config, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get the stack configuration for the policy pack: %w", err)
		}
		if env, err = policyPackEnv(env, config); err != nil {
			return err
		}
		// Policy packs have always run in their own folder.
		cmd.Dir = dir
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr

	if err := runPluginProcess(ctx, cmd, proxy); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("plugin %s exited with code %d", req.GetName(), exit.ExitCode())
		}
		return fmt.Errorf("could not run plugin %s: %w", req.GetName(), err)
	}
	return closer.Close()
}

func runPluginProcess(ctx context.Context, cmd *exec.Cmd, proxy *sdk.PolicyProxy) error {
	if err := cmd.Start(); err != nil {
		if proxy != nil {
			proxy.Abort(err)
		}
		return err
	}
	if proxy != nil {
		// Attach reads the pack's port, connects the proxy to it and waits for the process.
		return proxy.Attach(ctx, cmd)
	}
	return cmd.Wait()
}

// policyPackEnv adds what @pulumi/policy reads from the environment: the stack and its config.
// config is nil when the engine asked for something else first (e.g. `pulumi policy publish`).
func policyPackEnv(env []string, config *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	if config == nil {
		return env, nil
	}
	set := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	set("PULUMI_NODEJS_ORGANIZATION", config.GetOrganization())
	set("PULUMI_NODEJS_PROJECT", config.GetProject())
	set("PULUMI_NODEJS_STACK", config.GetStack())
	set("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(config.GetDryRun()))
	if c := config.GetConfig(); c != nil {
		b, err := json.Marshal(c)
		if err != nil {
			return nil, fmt.Errorf("could not encode the stack configuration: %w", err)
		}
		set("PULUMI_CONFIG", string(b))
	}
	return env, nil
}
