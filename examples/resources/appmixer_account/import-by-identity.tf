# The identity is the accountId. As with an import by id, the token is not read back: the plan sends
# token_wo again, because the imported state has no token_wo_version.
import {
  to = appmixer_account.weather
  identity = {
    id = "5c6f1a2b3c4d5e6f7a8b9c0d"
  }
}
