// Package hook carries package sim's internal operations to package
// sim/internal/kernel. Package kernel imports sim for its types, so sim
// cannot import kernel; both import this package instead: sim's init stores
// its operations in Ops, and kernel asserts Ops to the interface it calls.
package hook

// Ops holds package sim's internal operations, set by sim's init before any
// package that imports sim is initialized.
var Ops any
