# An account is imported by its accountId (see the appmixer_accounts data source). Its token cannot be
# read back: the imported account keeps the one it has until token_wo_version changes.
terraform import appmixer_account.weather 5c6f1a2b3c4d5e6f7a8b9c0d
