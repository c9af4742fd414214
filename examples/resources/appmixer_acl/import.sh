# By type: components or routes. Destroy later puts back the rules found at import.
terraform import appmixer_acl.components components
