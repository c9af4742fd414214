# A tenant has one document; its ID is always "modifiers".
terraform import appmixer_modifiers.tenant modifiers
