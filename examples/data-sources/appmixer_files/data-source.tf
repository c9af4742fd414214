# The CSV files of the provider's user, e.g. uploaded by hand in the Appmixer UI.
data "appmixer_files" "csv" {
  filename = ".csv"
}

output "csv_file_ids" {
  value = { for f in data.appmixer_files.csv.files : f.filename => f.id }
}
