package sim

// LastError classifies a thread's last-error value. GetLastError returns a
// DWORD that is a Win32 error code for most functions, but CryptoAPI (and a
// few other families) leave HRESULT values there, such as NTE_BAD_FLAGS
// 0x80090009. The two ranges cannot be confused: Win32 codes are below
// 0x10000, and a failure HRESULT has its severity bit (0x80000000) set. So a
// value with the severity bit is an HRESULT, anything else a Win32 code, and
// the result prints with its SDK name either way.
func LastError(v uint32) Code {
	if v&0x80000000 != 0 {
		return Code{KindHResult, v}
	}
	return Code{KindWin32, v}
}
