// Command sipdbg is an interactive SIP debugger that explains 401/407
// authentication failures. See README.md.
//
// It owns the commands and their flags and may import any package of the
// module except the test kits.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
