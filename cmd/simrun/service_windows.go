package main

import "github.com/winsim/winsim/backend/windows"

// The windows backend starts services that run simrun itself as its test
// service; RunService takes over the process when it was started that way.
func init() { beforeMain = windows.RunService }
