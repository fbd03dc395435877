/* TEST-ONLY stub for Wine 8, never shipped: Rust-built extensions (python-calamine) import
 * bcryptprimitives.dll!ProcessPrng, which Windows 10+ has and Wine 8 lacks. build-windows.sh
 * compiles this into the Wine prefix's system32 so the frozen program can be smoke-tested. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* advapi32 RtlGenRandom */

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
