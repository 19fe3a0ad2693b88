// libFuzzer's driver (compiler-rt's FuzzerDriver.cpp, linked by -sanitize=fuzzer):
// runs the fuzzing loop on the process's arguments, calling `callback` per input.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
