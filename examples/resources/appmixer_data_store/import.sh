# A data store is imported by its storeId.
terraform import appmixer_data_store.orders 5c6f1a2b3c4d5e6f7a8b9c0e
