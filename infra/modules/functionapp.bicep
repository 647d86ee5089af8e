param namePrefix string
param location string
param tenantName string
param schedule string

@description('Resource id and client id of the user-assigned identity the app runs as.')
param identityId string
param identityClientId string

param storageAccountName string
param blobEndpoint string
param tableEndpoint string
param deploymentContainerName string
param appInsightsConnectionString string

// Flex Consumption, not Linux Consumption (Y1): Y1 gets no new language versions (so no .NET 10) and
// caps functionTimeout at 10 minutes, below the 30 in host.json.
resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${namePrefix}-plan'
  location: location
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2023-12-01' = {
  name: '${namePrefix}-func-${uniqueString(resourceGroup().id)}'
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        // One sweep per instance at a time (host.json), one work item per tenant on the queue: up to 40 tenants side by side.
        maximumInstanceCount: 40
        instanceMemoryMB: 2048
      }
      // Flex takes the runtime here: linuxFxVersion and FUNCTIONS_WORKER_RUNTIME are deprecated on it, and it runs
      // Functions v4 only with FUNCTIONS_EXTENSION_VERSION set by the platform (functions-app-settings, Flex deprecations).
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
        { name: 'IntuneBanSync__Tenant', value: tenantName }
        { name: 'IntuneBanSync__BanListPath', value: 'banlist.json' }
        { name: 'IntuneBanSync__Schedule', value: schedule }
        { name: 'IntuneBanSync__Graph__BaseUrl', value: 'https://graph.microsoft.com/v1.0' }
        { name: 'IntuneBanSync__Storage__TableServiceUri', value: tableEndpoint }
        { name: 'IntuneBanSync__Storage__TablePrefix', value: 'ibs' }
        { name: 'IntuneBanSync__Identity__ManagedIdentityClientId', value: identityClientId }
      ]
    }
  }
}

output name string = app.name
