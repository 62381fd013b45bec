// Command appwatch monitors the applications of a Microsoft Entra tenant as
// the Entra security operations guide for applications describes: it reads
// exported audit, sign-in and Key Vault logs, raises alerts for every row of
// the guide it finds, and checks app registrations through Microsoft Graph.
//
// Run "appwatch help" for the commands.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/appwatch/appwatch/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Main(ctx, cli.OSEnv(), os.Args[1:])
	stop()
	os.Exit(code)
}
