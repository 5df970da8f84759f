//! Any bytes as a `simulate` request line: decoding, evaluation and the
//! explanation must not panic, and both evaluation paths must agree.
#![no_main]

use libfuzzer_sys::fuzz_target;

use landform::policy::eval::{evaluate, explain};
use landform::policy::scan;
use landform::policy::simulate::Simulator;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = scan::scan(&text);
    if let Ok(loaded) = Simulator::new().load(&text) {
        let fast = evaluate(&loaded.policies, &loaded.request);
        let full = explain(&loaded.policies, &loaded.request);
        assert_eq!(fast, full.decision);
        let _ = full.to_human();
    }
});
