//! Any bytes: the JSON reader and the policy parser must not panic; whatever
//! parses must print, re-parse and compile.
#![no_main]

use libfuzzer_sys::fuzz_target;

use landform::policy::eval::CompiledPolicy;
use landform::policy::json;
use landform::policy::parse::{parse_policy, policy_from_json_value, to_json_value};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = json::parse(&text);
    if let Ok(policy) = parse_policy(&text) {
        let printed = to_json_value(&policy);
        let again = policy_from_json_value(&printed).expect("a printed policy parses");
        assert_eq!(again.statements.len(), policy.statements.len());
        let _ = CompiledPolicy::compile(&policy);
    }
});
