# Start a flow now: terraform apply -invoke=action.appmixer_flow_start.forecast
action "appmixer_flow_start" "forecast" {
  config {
    flow_id = data.appmixer_flow.forecast.id
  }
}

action "appmixer_flow_stop" "forecast" {
  config {
    flow_id = data.appmixer_flow.forecast.id
  }
}

# Restart the flow whenever a new version of its connector is published: stop, then start.
resource "terraform_data" "weather_published" {
  input = appmixer_component.weather.source_hash
  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.appmixer_flow_stop.forecast, action.appmixer_flow_start.forecast]
    }
  }
}
