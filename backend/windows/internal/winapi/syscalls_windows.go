package winapi

// Pointers the system hands back are taken as uintptr and copied out with
// CopyMemory, so that no uintptr is ever turned back into a Go pointer.

//sys	WaitForSingleObjectEx(handle windows.Handle, ms uint32, alertable bool) (event uint32, err error) [failretval==0xffffffff] = kernel32.WaitForSingleObjectEx
//sys	WaitForMultipleObjectsEx(count uint32, handles *windows.Handle, waitAll bool, ms uint32, alertable bool) (event uint32, err error) [failretval==0xffffffff] = kernel32.WaitForMultipleObjectsEx
//sys	WineGetVersion() (version uintptr, err error) = ntdll.wine_get_version?
//sys	LstrlenA(s uintptr) (n int32) = kernel32.lstrlenA
//sys	LstrlenW(s uintptr) (n int32) = kernel32.lstrlenW
//sys	CopyMemory(dst *byte, src uintptr, n uintptr) = ntdll.RtlMoveMemory
//sys	QueryPerformanceCounter(count *int64) (err error) = kernel32.QueryPerformanceCounter
//sys	QueryPerformanceFrequency(freq *int64) (err error) = kernel32.QueryPerformanceFrequency
//sys	GetHandleInformation(handle windows.Handle, flags *uint32) (err error) = kernel32.GetHandleInformation

// CryptoAPI (advapi32): x/sys wraps CryptAcquireContext and
// CryptReleaseContext only. The BOOL results come back with the last error.
//sys	CryptContextAddRef(prov windows.Handle, reserved *uint32, flags uint32) (err error) = advapi32.CryptContextAddRef
//sys	CryptGenKey(prov windows.Handle, algID uint32, flags uint32, key *windows.Handle) (err error) = advapi32.CryptGenKey
//sys	CryptGetUserKey(prov windows.Handle, keySpec uint32, key *windows.Handle) (err error) = advapi32.CryptGetUserKey
//sys	CryptDestroyKey(key windows.Handle) (err error) = advapi32.CryptDestroyKey
//sys	CryptCreateHash(prov windows.Handle, algID uint32, key windows.Handle, flags uint32, hash *windows.Handle) (err error) = advapi32.CryptCreateHash
//sys	CryptHashData(hash windows.Handle, data *byte, n uint32, flags uint32) (err error) = advapi32.CryptHashData
//sys	CryptDestroyHash(hash windows.Handle) (err error) = advapi32.CryptDestroyHash

// CNG key storage (ncrypt): each returns its SECURITY_STATUS as is.
//sys	NCryptOpenStorageProvider(prov *windows.Handle, name *uint16, flags uint32) (status uint32) = ncrypt.NCryptOpenStorageProvider
//sys	NCryptFreeObject(h windows.Handle) (status uint32) = ncrypt.NCryptFreeObject
//sys	NCryptIsAlgSupported(prov windows.Handle, alg *uint16, flags uint32) (status uint32) = ncrypt.NCryptIsAlgSupported
//sys	NCryptCreatePersistedKey(prov windows.Handle, key *windows.Handle, alg *uint16, name *uint16, legacyKeySpec uint32, flags uint32) (status uint32) = ncrypt.NCryptCreatePersistedKey
//sys	NCryptFinalizeKey(key windows.Handle, flags uint32) (status uint32) = ncrypt.NCryptFinalizeKey
//sys	NCryptOpenKey(prov windows.Handle, key *windows.Handle, name *uint16, legacyKeySpec uint32, flags uint32) (status uint32) = ncrypt.NCryptOpenKey
//sys	NCryptDeleteKey(key windows.Handle, flags uint32) (status uint32) = ncrypt.NCryptDeleteKey
//sys	NCryptSetProperty(h windows.Handle, property *uint16, value *byte, n uint32, flags uint32) (status uint32) = ncrypt.NCryptSetProperty
//sys	NCryptNotifyChangeKey(prov windows.Handle, event *windows.Handle, flags uint32) (status uint32) = ncrypt.NCryptNotifyChangeKey

// The native registry calls (ntdll) return their NTSTATUS as is;
// RegFlushKey (advapi32) returns its Win32 code.
//sys	NtCreateKey(key *windows.Handle, access uint32, oa *windows.OBJECT_ATTRIBUTES, titleIndex uint32, class *windows.NTUnicodeString, options uint32, disposition *uint32) (status uint32) = ntdll.NtCreateKey
//sys	NtOpenKey(key *windows.Handle, access uint32, oa *windows.OBJECT_ATTRIBUTES) (status uint32) = ntdll.NtOpenKey
//sys	NtSetValueKey(key windows.Handle, name *windows.NTUnicodeString, titleIndex uint32, typ uint32, data *byte, n uint32) (status uint32) = ntdll.NtSetValueKey
//sys	NtQueryValueKey(key windows.Handle, name *windows.NTUnicodeString, class uint32, info *byte, n uint32, resultLength *uint32) (status uint32) = ntdll.NtQueryValueKey
//sys	NtDeleteKey(key windows.Handle) (status uint32) = ntdll.NtDeleteKey
//sys	NtDeleteValueKey(key windows.Handle, name *windows.NTUnicodeString) (status uint32) = ntdll.NtDeleteValueKey
//sys	NtQueryKey(key windows.Handle, class uint32, info *byte, n uint32, resultLength *uint32) (status uint32) = ntdll.NtQueryKey
//sys	NtEnumerateKey(key windows.Handle, index uint32, class uint32, info *byte, n uint32, resultLength *uint32) (status uint32) = ntdll.NtEnumerateKey
//sys	NtEnumerateValueKey(key windows.Handle, index uint32, class uint32, info *byte, n uint32, resultLength *uint32) (status uint32) = ntdll.NtEnumerateValueKey
//sys	NtFlushKey(key windows.Handle) (status uint32) = ntdll.NtFlushKey
//sys	NtClose(h windows.Handle) (status uint32) = ntdll.NtClose
//sys	RegFlushKey(key windows.Handle) (regerrno error) = advapi32.RegFlushKey
