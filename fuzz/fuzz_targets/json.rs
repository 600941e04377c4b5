//! Fuzz target: one `template.json` through reading, parsing, modelling and analysis.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rootguard::fuzzing::one_file("template.json", data);
});
