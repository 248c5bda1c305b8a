package hive

import (
	"time"

	"github.com/winsim/winsim/win32"
)

// Options configures a new Registry.
type Options struct {
	// Hives are mounted in order; nil means DefaultHives.
	Hives []win32.HiveSpec
	// CurrentUser is the hive HKEY_CURRENT_USER maps to; "" means
	// \Registry\User\<DefaultUserSID>.
	CurrentUser string
	// NewStore makes the durable layer of each hive; nil means NewMemStore.
	NewStore func(hivePath string) Store
}

// lazyDisabled is the interval that turns the lazy flusher off.
const lazyDisabled = time.Duration(0)
