# Warn about approvals that wait on the user Terraform runs as.
check "no_pending_approvals" {
  data "appmixer_people_tasks" "to_approve" {
    role = "approver"
  }

  assert {
    condition = data.appmixer_people_tasks.to_approve.task_count == 0
    error_message = format("%d approvals are pending: %s", data.appmixer_people_tasks.to_approve.task_count,
    join(", ", [for t in data.appmixer_people_tasks.to_approve.tasks : t.title]))
  }
}
