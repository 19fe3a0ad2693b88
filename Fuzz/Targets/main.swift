import CFuzzDriver
import Foundation

// libFuzzer's loop (built only by scripts/fuzz, with -sanitize=fuzzer) on the
// process's arguments: the target that FUZZ_TARGET names gets every input; a
// crash, a failed precondition or a hang is a finding.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))

/// Also the name libFuzzer's own objects look for.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    FuzzTarget.current.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
