// NASDAQ TotalView-ITCH 5.0: every message type, its length and its fields at their fixed offsets, in the
// specification's order and with its names (punctuation dropped, lowerCamelCase). Big-endian integers.
// Every message starts with Message Type (1), Stock Locate (2), Tracking Number (2), Timestamp (6, ns since
// midnight). One table drives the golden decoder, the generator and the device's record layout.

/** How a field is read and printed (DESIGN.md 3.3): alpha is right-padded ASCII, trimmed; integers of 8
 *  bytes print as decimal strings, smaller ones and the 6-byte timestamp as numbers; prices stay integers
 *  in the specification's units (4 decimal places, or 8 for the MWCB levels). */
export type FieldKind = 'alpha' | 'uint';

export interface ItchField {
  name: string;
  offset: number;
  size: number;
  kind: FieldKind;
}

export interface ItchMessageType {
  type: string;
  name: string;
  length: number;
  fields: ItchField[];
}

type Spec = Array<[name: string, size: number, kind?: FieldKind]>;

const HEADER: Spec = [['stockLocate', 2], ['trackingNumber', 2], ['timestamp', 6]];

const SPECS: Array<[type: string, name: string, fields: Spec]> = [
  ['S', 'System Event', [['eventCode', 1, 'alpha']]],
  ['R', 'Stock Directory', [
    ['stock', 8, 'alpha'], ['marketCategory', 1, 'alpha'], ['financialStatusIndicator', 1, 'alpha'], ['roundLotSize', 4],
    ['roundLotsOnly', 1, 'alpha'], ['issueClassification', 1, 'alpha'], ['issueSubType', 2, 'alpha'], ['authenticity', 1, 'alpha'],
    ['shortSaleThresholdIndicator', 1, 'alpha'], ['ipoFlag', 1, 'alpha'], ['luldReferencePriceTier', 1, 'alpha'], ['etpFlag', 1, 'alpha'],
    ['etpLeverageFactor', 4], ['inverseIndicator', 1, 'alpha']]],
  ['H', 'Stock Trading Action', [['stock', 8, 'alpha'], ['tradingState', 1, 'alpha'], ['reserved', 1, 'alpha'], ['reason', 4, 'alpha']]],
  ['Y', 'Reg SHO Short Sale Price Test Restricted Indicator', [['stock', 8, 'alpha'], ['regSHOAction', 1, 'alpha']]],
  ['L', 'Market Participant Position', [
    ['mpid', 4, 'alpha'], ['stock', 8, 'alpha'], ['primaryMarketMaker', 1, 'alpha'], ['marketMakerMode', 1, 'alpha'],
    ['marketParticipantState', 1, 'alpha']]],
  ['V', 'MWCB Decline Level', [['level1', 8], ['level2', 8], ['level3', 8]]],
  ['W', 'MWCB Status', [['breachedLevel', 1, 'alpha']]],
  ['K', 'IPO Quoting Period Update', [
    ['stock', 8, 'alpha'], ['ipoQuotationReleaseTime', 4], ['ipoQuotationReleaseQualifier', 1, 'alpha'], ['ipoPrice', 4]]],
  ['J', 'LULD Auction Collar', [
    ['stock', 8, 'alpha'], ['auctionCollarReferencePrice', 4], ['upperAuctionCollarPrice', 4], ['lowerAuctionCollarPrice', 4],
    ['auctionCollarExtension', 4]]],
  ['h', 'Operational Halt', [['stock', 8, 'alpha'], ['marketCode', 1, 'alpha'], ['operationalHaltAction', 1, 'alpha']]],
  ['A', 'Add Order (No MPID Attribution)', [
    ['orderReferenceNumber', 8], ['buySellIndicator', 1, 'alpha'], ['shares', 4], ['stock', 8, 'alpha'], ['price', 4]]],
  ['F', 'Add Order (MPID Attribution)', [
    ['orderReferenceNumber', 8], ['buySellIndicator', 1, 'alpha'], ['shares', 4], ['stock', 8, 'alpha'], ['price', 4],
    ['attribution', 4, 'alpha']]],
  ['E', 'Order Executed', [['orderReferenceNumber', 8], ['executedShares', 4], ['matchNumber', 8]]],
  ['C', 'Order Executed With Price', [
    ['orderReferenceNumber', 8], ['executedShares', 4], ['matchNumber', 8], ['printable', 1, 'alpha'], ['executionPrice', 4]]],
  ['X', 'Order Cancel', [['orderReferenceNumber', 8], ['cancelledShares', 4]]],
  ['D', 'Order Delete', [['orderReferenceNumber', 8]]],
  ['U', 'Order Replace', [['originalOrderReferenceNumber', 8], ['newOrderReferenceNumber', 8], ['shares', 4], ['price', 4]]],
  ['P', 'Trade (Non-Cross)', [
    ['orderReferenceNumber', 8], ['buySellIndicator', 1, 'alpha'], ['shares', 4], ['stock', 8, 'alpha'], ['price', 4],
    ['matchNumber', 8]]],
  ['Q', 'Cross Trade', [['shares', 8], ['stock', 8, 'alpha'], ['crossPrice', 4], ['matchNumber', 8], ['crossType', 1, 'alpha']]],
  ['B', 'Broken Trade', [['matchNumber', 8]]],
  ['I', 'Net Order Imbalance Indicator', [
    ['pairedShares', 8], ['imbalanceShares', 8], ['imbalanceDirection', 1, 'alpha'], ['stock', 8, 'alpha'], ['farPrice', 4],
    ['nearPrice', 4], ['currentReferencePrice', 4], ['crossType', 1, 'alpha'], ['priceVariationIndicator', 1, 'alpha']]],
  ['N', 'Retail Price Improvement Indicator', [['stock', 8, 'alpha'], ['interestFlag', 1, 'alpha']]],
  ['O', 'Direct Listing with Capital Raise Price Discovery', [
    ['stock', 8, 'alpha'], ['openEligibilityStatus', 1, 'alpha'], ['minimumAllowablePrice', 4], ['maximumAllowablePrice', 4],
    ['nearExecutionPrice', 4], ['nearExecutionTime', 8], ['lowerPriceRangeCollar', 4], ['upperPriceRangeCollar', 4]]],
];

function layout(fields: Spec): ItchField[] {
  let offset = 1;
  return [...HEADER, ...fields].map(([name, size, kind]) => {
    const f = { name, offset, size, kind: kind ?? 'uint' };
    offset += size;
    return f;
  });
}

export const ITCH_TYPES: ReadonlyMap<string, ItchMessageType> = new Map(SPECS.map(([type, name, fields]) => {
  const f = layout(fields);
  const last = f[f.length - 1]!;
  return [type, { type, name, length: last.offset + last.size, fields: f }];
}));

/** The length of a message of this type byte, or undefined for a type ITCH 5.0 does not have. */
export function itchLength(typeByte: number): number | undefined {
  return ITCH_TYPES.get(String.fromCharCode(typeByte))?.length;
}
