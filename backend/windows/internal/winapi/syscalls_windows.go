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
