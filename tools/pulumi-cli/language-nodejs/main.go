// Command pulumi-language-nodejs is a small Node.js language host for the Pulumi CLI.
//
// Pulumi's own host (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs) is not served
// by the Go module proxy these machines reach, so the end-to-end tests build this one beside the
// CLI (docs/toolchain.md). It answers the RPCs that the CLI's everyday commands need:
//
//   - run.go: Run, a program through `@pulumi/pulumi/cmd/run` of the program's own node_modules
//     (preview, up, refresh, destroy, import, the Automation API);
//   - plugin.go: RunPlugin, a policy pack (`--policy-pack DIR`) or a Node.js plugin;
//   - install.go: InstallDependencies (`pulumi install`) and GetRequiredPackages (the resource
//     plugins that node_modules declares, which `pulumi install` and `pulumi about` list);
//   - about.go: About and GetProgramDependencies (`pulumi about`).
//
// Code generation (GenerateProgram/Project/Package: `pulumi convert`, `pulumi import`'s code,
// `pulumi package gen-sdk`), `pulumi new`'s prompts, Pack and Link answer Unimplemented, which the
// CLI reports as such; docs/toolchain.md lists what that leaves out.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is the Pulumi release this host is built with (tools/pulumi-cli/go.mod).
const version = "3.274.1"

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: pulumi-language-nodejs [flags] ENGINE_ADDRESS")
		os.Exit(2)
	}
	// Flags before the engine address (-tracing, -root, ...) are not used by this host.
	engineAddress := os.Args[len(os.Args)-1]
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, &host{engineAddress: engineAddress})
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "could not start the language host: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Println(handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "language host stopped: %v\n", err)
		os.Exit(1)
	}
}
