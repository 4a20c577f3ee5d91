import type { Analyzer } from './analyzer';
import { conflictingGatewayAnalyzer } from './analyzers/conflicting-gateways';
import { conflictingMeshGatewayHostsAnalyzer } from './analyzers/conflicting-mesh-gateway-hosts';
import { destinationHostAnalyzer } from './analyzers/destination-hosts';
import { destinationRuleHostAnalyzer } from './analyzers/destination-rule-hosts';
import { destinationSubsetAnalyzer } from './analyzers/destination-subsets';
import { gatewayPortAnalyzer } from './analyzers/gateway-ports';
import { portNameAnalyzer } from './analyzers/port-names';
import { sidecarDefaultSelectorAnalyzer } from './analyzers/sidecar-default-selector';
import { sidecarSelectorAnalyzer } from './analyzers/sidecar-selectors';
import { unreachableRulesAnalyzer } from './analyzers/unreachable-rules';
import { virtualServiceGatewayAnalyzer } from './analyzers/virtual-service-gateways';

/** Every analyzer `analyze` runs. Adding one means adding its module and a line here, nowhere else. */
export const ANALYZERS: readonly Analyzer[] = [
  destinationHostAnalyzer,
  destinationSubsetAnalyzer,
  virtualServiceGatewayAnalyzer,
  conflictingMeshGatewayHostsAnalyzer,
  unreachableRulesAnalyzer,
  destinationRuleHostAnalyzer,
  portNameAnalyzer,
  gatewayPortAnalyzer,
  conflictingGatewayAnalyzer,
  sidecarSelectorAnalyzer,
  sidecarDefaultSelectorAnalyzer,
];
