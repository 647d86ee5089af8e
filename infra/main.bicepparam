using './main.bicep'

param namePrefix = 'ibs'
param tenantName = 'contoso'
param schedule = '0 0 */4 * * *'
