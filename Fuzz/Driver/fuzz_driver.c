// The driver is libFuzzer's; this module only declares it (include/fuzz_driver.h).
#include "fuzz_driver.h"
