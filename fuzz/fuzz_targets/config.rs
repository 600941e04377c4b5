//! Fuzz target: a `.rootguard.yml` configuration file.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rootguard::fuzzing::config(data);
});
