// Package bench compares appwatch's Sigma engine with
// github.com/bradleyjkemp/sigma-go on the same rules and events. It is a
// separate module so that the main module does not depend on sigma-go.
//
// Run it from this directory:
//
//	go test -bench . -benchmem
package bench
