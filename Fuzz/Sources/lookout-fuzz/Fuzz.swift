import FuzzEntryPoints

#if canImport(Glibc)
import Glibc
#endif

/// The target this process fuzzes, from LOOKOUT_FUZZ_TARGET (scripts/fuzz.sh sets it).
let target: String = getenv("LOOKOUT_FUZZ_TARGET").map { String(cString: $0) } ?? ""

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    guard FuzzTargets.names.contains(target) else {
        let message = "lookout-fuzz: set LOOKOUT_FUZZ_TARGET to one of: \(FuzzTargets.names.joined(separator: ", "))\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        exit(2)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTargets.run(target, bytes)
    return 0
}
