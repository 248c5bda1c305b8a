// Package twinapi states, once, how winsim's x/sys twins (packages windows,
// windows/registry, windows/svc and windows/svc/mgr) differ from golang.org/x/sys: the identifiers each
// twin leaves out and why, the extras it adds, and its declared
// non-identities. Two readers share it: the identity test of package
// windows, which checks every entry against x/sys and the twins, and
// simrun shim, which gives the reason when a user names an identifier the
// twins do not have.
//
// The reasons restate the twins' package documentation ("Left out, and
// why"), identifier by identifier.
package twinapi

// Package is one twin package and what it differs from x/sys's in.
type Package struct {
	Name string // the package name, x/sys's: "windows", "registry"
	Twin string // the twin's import path
	XSys string // the import path of the x/sys package it matches

	// NonIdentities are identifiers x/sys has that the twin declares
	// differently on purpose, each with the reason.
	NonIdentities map[string]string
	// Extras are identifiers x/sys lacks that the twin offers, each as the
	// wrapper a program would generate with mkwinsyscall.
	Extras map[string]string
	// LeftOut are identifiers of x/sys's package the twin does not have
	// ("Type.Method" for a method), each with the reason.
	LeftOut map[string]string
	// LeftOutComplete says LeftOut lists every identifier of x/sys's
	// package the twin lacks. Otherwise (x/sys/windows has thousands) it
	// lists the ones a user of the twin's subset is likely to look for.
	LeftOutComplete bool
}

// Import paths of the twins and of x/sys's packages.
const (
	TwinWindows  = "github.com/winsim/winsim/windows"
	TwinRegistry = TwinWindows + "/registry"
	TwinSvc      = TwinWindows + "/svc"
	TwinMgr      = TwinSvc + "/mgr"
	XSysWindows  = "golang.org/x/sys/windows"
	XSysRegistry = XSysWindows + "/registry"
	XSysSvc      = XSysWindows + "/svc"
	XSysMgr      = XSysSvc + "/mgr"
)

// Reasons shared by several identifiers of package windows.
const (
	notModeledYet = "its call is modeled, but it is not in the twin's first subset"
	svcDispatcher = "the twin's service side is package svc (Run), which starts the handler through the model; the raw dispatcher calls are not offered"
	noLock        = "the SCM model has no database lock"
	noFailureFlag = "level SERVICE_CONFIG_FAILURE_ACTIONS_FLAG of QueryServiceConfig2/ChangeServiceConfig2 is not modeled"
	utf16Helper   = "not a Windows call: a program converts with unicode/utf16 (or a helper of its own)"
	certStore     = "certificate stores are not modeled"
	regCall       = "the twin offers the registry through package registry (x/sys's windows/registry API)"
)

// Packages returns the twin packages, windows, registry, svc and mgr in
// that order, with fresh maps.
func Packages() []Package {
	return []Package{
		{
			Name: "windows", Twin: TwinWindows, XSys: XSysWindows,
			NonIdentities: map[string]string{
				"Errno": "x/sys's is an alias of syscall.Errno, which on Linux prints Unix messages and matches Unix errors; " +
					"the twin's is a defined type of the same kind (uintptr) with syscall.Errno's methods on Windows, " +
					"and stands for syscall.Errno in every other comparison",
			},
			Extras: map[string]string{
				"WaitForSingleObjectEx": "x/sys has no alertable single wait; programs generate it with mkwinsyscall, whose wrapper has this signature",
			},
			LeftOut: map[string]string{
				"OpenEvent":                    "opens a named event; the model has no object namespace (rule kernel.object.named)",
				"CreateMutex":                  "mutexes are not modeled",
				"DuplicateHandle":              "handle duplication is not modeled",
				"CryptGenRandom":               "random generation through a CryptoAPI context is not modeled",
				"CertOpenStore":                certStore,
				"CertOpenSystemStore":          certStore,
				"CertCloseStore":               certStore,
				"CertEnumCertificatesInStore":  certStore,
				"UTF16PtrFromString":           utf16Helper,
				"UTF16FromString":              utf16Helper,
				"UTF16ToString":                utf16Helper,
				"UTF16PtrToString":             utf16Helper,
				"StringToUTF16":                utf16Helper,
				"StringToUTF16Ptr":             utf16Helper,
				"CreateEventEx":                notModeledYet,
				"GetCurrentProcess":            notModeledYet + " (the waits and CloseHandle model its pseudo handle)",
				"GetCurrentThread":             notModeledYet + " (the waits and CloseHandle model its pseudo handle)",
				"RegOpenKeyEx":                 regCall,
				"RegCloseKey":                  regCall,
				"RegQueryValueEx":              regCall,
				"RegEnumKeyEx":                 regCall,
				"RegQueryInfoKey":              regCall,
				"RegNotifyChangeKeyValue":      "registry change notification is not modeled",
				"EnumDependentServices":        "dependent-service enumeration is not modeled",
				"QueryServiceLockStatus":       noLock,
				"StartServiceCtrlDispatcher":   svcDispatcher,
				"RegisterServiceCtrlHandlerEx": svcDispatcher,
				"NewCallbackCDecl":             "cdecl callbacks are for 32-bit C libraries; no modeled call takes one",
			},
		},
		{
			Name: "registry", Twin: TwinRegistry, XSys: XSysRegistry,
			Extras: map[string]string{
				"RegFlushKey": "x/sys has no RegFlushKey; programs generate it with mkwinsyscall, whose wrapper has this signature",
			},
			LeftOut: map[string]string{
				"CLASSES_ROOT":          "a merged view of two keys; merged views are not modeled (rule hive.predefined.views)",
				"CURRENT_CONFIG":        "a registry link into the SYSTEM hive; links are not modeled (rule hive.predefined.views)",
				"PERFORMANCE_DATA":      "performance data is not a key; it is not modeled (rule hive.predefined.views)",
				"OpenRemoteKey":         "a remote machine's registry (RegConnectRegistry); the model is one machine",
				"ExpandString":          "expands environment variables (ExpandEnvironmentStrings); the model has no environment",
				"LoadRegLoadMUIString":  "looks for RegLoadMUIString in advapi32; MUI strings come from resource DLLs, which are not modeled",
				"Key.GetMUIStringValue": "reads a string from a resource DLL (RegLoadMUIString); resource DLLs are not modeled",
			},
			LeftOutComplete: true,
		},
		{
			Name: "svc", Twin: TwinSvc, XSys: XSysSvc,
			LeftOut: map[string]string{
				"DynamicStartReason":     "QueryServiceDynamicInformation: start reasons are not modeled",
				"IsAnInteractiveSession": "deprecated in x/sys; process tokens and group membership are not modeled",
			},
			LeftOutComplete: true,
		},
		{
			Name: "mgr", Twin: TwinMgr, XSys: XSysMgr,
			LeftOut: map[string]string{
				"Service.ListDependentServices": "dependent-service enumeration is not modeled",
				"Mgr.LockStatus":                noLock,
				"LockStatus":                    noLock,
				"Service.SetRecoveryActionsOnNonCrashFailures": noFailureFlag,
				"Service.RecoveryActionsOnNonCrashFailures":    noFailureFlag,
			},
			LeftOutComplete: true,
		},
	}
}
