# The identity is the storeId.
import {
  to = appmixer_data_store.orders
  identity = {
    id = "5c6f1a2b3c4d5e6f7a8b9c0e"
  }
}
