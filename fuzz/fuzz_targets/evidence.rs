//! Fuzz target: one AWS CLI export read as account evidence and judged.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rootguard::fuzzing::evidence(data);
});
