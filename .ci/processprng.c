/*
 * bcryptprimitives.dll for Wine 8.0, which lacks it.
 *
 * Go 1.22 and later import ProcessPrng from bcryptprimitives.dll in every
 * Windows program; without this DLL a Go program does not even start under
 * Wine 8.0. ProcessPrng fills a buffer with random bytes; here it asks
 * advapi32's RtlGenRandom (exported as SystemFunction036), which Wine has,
 * in pieces small enough for its ULONG length.
 *
 * Built by .ci/wine with the mingw-w64 cross compiler; only this source is
 * kept in the repository.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0)
    {
        ULONG piece = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, piece))
            return FALSE;
        data += piece;
        length -= piece;
    }
    return TRUE;
}
