targetScope = 'resourceGroup'

@description('Short prefix for resource names, e.g. ibs (letters, digits, hyphens).')
@minLength(2)
@maxLength(10)
param namePrefix string

param location string = resourceGroup().location

@description('Entra tenant id or short name; the journal partitions by it (letters, digits, . _ -).')
@minLength(1)
@maxLength(64)
param tenantName string

@description('Sweep timer, NCRONTAB with seconds.')
param schedule string = '0 0 */4 * * *'

var deploymentContainerName = 'app-package'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${namePrefix}-id'
    location: location
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take('${replace(toLower(namePrefix), '-', '')}st${uniqueString(resourceGroup().id)}', 24)
    location: location
    principalId: identity.outputs.principalId
    deploymentContainerName: deploymentContainerName
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    namePrefix: namePrefix
    location: location
    principalId: identity.outputs.principalId
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    namePrefix: namePrefix
    location: location
    tenantName: tenantName
    schedule: schedule
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.connectionString
  }
}

output functionAppName string = functionApp.outputs.name
output identityPrincipalId string = identity.outputs.principalId
output identityClientId string = identity.outputs.clientId
output tableEndpoint string = storage.outputs.tableEndpoint
