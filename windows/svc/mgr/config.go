package mgr

import "github.com/winsim/winsim/windows"

// Service start types and error controls.
const (
	StartManual    = windows.SERVICE_DEMAND_START // started by StartService only
	StartAutomatic = windows.SERVICE_AUTO_START   // started at boot (the model has no boot)
	StartDisabled  = windows.SERVICE_DISABLED     // StartService gives ERROR_SERVICE_DISABLED

	ErrorCritical = windows.SERVICE_ERROR_CRITICAL
	ErrorIgnore   = windows.SERVICE_ERROR_IGNORE
	ErrorNormal   = windows.SERVICE_ERROR_NORMAL
	ErrorSevere   = windows.SERVICE_ERROR_SEVERE
)

// Config is a service's configuration, as CreateService takes it. On the
// model, LoadOrderGroup, ServiceStartName, Password, Description, SidType
// and DelayedAutoStart must be left zero (see the package documentation),
// and TagId is not used.
type Config struct {
	ServiceType      uint32
	StartType        uint32
	ErrorControl     uint32
	BinaryPathName   string // the command line: the executable and its arguments
	LoadOrderGroup   string
	TagId            uint32
	Dependencies     []string
	ServiceStartName string // the account the service runs as (not modeled)
	DisplayName      string
	Password         string
	Description      string
	SidType          uint32 // a SERVICE_SID_TYPE_* value (not modeled)
	DelayedAutoStart bool   // a delayed automatic start (not modeled)
}
