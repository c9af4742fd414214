ops_password    = "ops-Example-pass-42"
legacy_password = "legacy-Example-pass-42"
