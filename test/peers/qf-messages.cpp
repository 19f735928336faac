// Writes FIX messages built and serialised by QuickFIX (header, BodyLength, CheckSum and field order as a
// real engine produces them) to stdout, back to back: execution reports, orders with a repeating group,
// market data with a repeating group, session messages, for FIX.4.2, FIX.4.4 and FIXT.1.1/FIX.5.0SP2.
// Usage: qf-messages <count>
#include <quickfix/Message.h>
#include <quickfix/fix42/ExecutionReport.h>
#include <quickfix/fix44/ExecutionReport.h>
#include <quickfix/fix44/NewOrderSingle.h>
#include <quickfix/fix44/MarketDataIncrementalRefresh.h>
#include <quickfix/fix44/Heartbeat.h>
#include <quickfix/fix44/Logon.h>
#include <quickfix/fix50sp2/ExecutionReport.h>

#include <cstdlib>
#include <iostream>
#include <string>

namespace {

template <typename M>
void header(M& m, const char* begin, int seq, bool possDup) {
  auto& h = m.getHeader();
  h.setField(FIX::BeginString(begin));
  h.setField(FIX::SenderCompID("ISLD"));
  h.setField(FIX::TargetCompID("TW"));
  h.setField(FIX::MsgSeqNum(seq));
  h.setField(FIX::SendingTime(FIX::UtcTimeStamp(), 3));
  if (possDup) h.setField(FIX::PossDupFlag(true));
}

std::string price(int i) { return std::to_string(100 + i % 900) + "." + std::to_string(10 + i % 90); }

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 100;
  for (int i = 0; i < count; i++) {
    const int seq = i + 1;
    const std::string id = std::to_string(1000000 + i);
    switch (i % 6) {
      case 0: {
        FIX44::ExecutionReport m(FIX::OrderID("O" + id), FIX::ExecID("E" + id), FIX::ExecType(FIX::ExecType_TRADE),
                                 FIX::OrdStatus(FIX::OrdStatus_PARTIALLY_FILLED), FIX::Side(FIX::Side_BUY),
                                 FIX::LeavesQty(100 + i), FIX::CumQty(i), FIX::AvgPx(std::atof(price(i).c_str())));
        header(m, "FIX.4.4", seq, i % 12 == 0);
        m.set(FIX::ClOrdID("C" + id));
        m.set(FIX::Symbol("AAPL"));
        m.set(FIX::OrderQty(200 + i));
        m.set(FIX::Price(std::atof(price(i).c_str())));
        m.set(FIX::LastQty(i % 100));
        m.set(FIX::LastPx(std::atof(price(i + 1).c_str())));
        std::cout << m.toString();
        break;
      }
      case 1: {
        FIX44::NewOrderSingle m(FIX::ClOrdID("C" + id), FIX::Side(FIX::Side_SELL), FIX::TransactTime(FIX::UtcTimeStamp(), 3),
                                FIX::OrdType(FIX::OrdType_LIMIT));
        header(m, "FIX.4.4", seq, false);
        m.set(FIX::Symbol("MSFT"));
        m.set(FIX::OrderQty(10 * (i + 1)));
        m.set(FIX::Price(std::atof(price(i).c_str())));
        FIX44::NewOrderSingle::NoPartyIDs party;
        party.set(FIX::PartyID("DESK" + std::to_string(i % 7)));
        party.set(FIX::PartyIDSource(FIX::PartyIDSource_PROPRIETARY_CUSTOM_CODE));
        party.set(FIX::PartyRole(FIX::PartyRole_EXECUTING_FIRM));
        m.addGroup(party);
        party.set(FIX::PartyID("TRADER" + std::to_string(i % 5)));
        party.set(FIX::PartyRole(FIX::PartyRole_ORDER_ORIGINATION_TRADER));
        m.addGroup(party);
        std::cout << m.toString();
        break;
      }
      case 2: {
        FIX44::MarketDataIncrementalRefresh m;
        header(m, "FIX.4.4", seq, false);
        for (int k = 0; k < 3; k++) {
          FIX44::MarketDataIncrementalRefresh::NoMDEntries e;
          e.set(FIX::MDUpdateAction(FIX::MDUpdateAction_NEW));
          e.set(FIX::MDEntryType(k % 2 ? FIX::MDEntryType_OFFER : FIX::MDEntryType_BID));
          e.set(FIX::Symbol("NVDA"));
          e.set(FIX::MDEntryPx(std::atof(price(i + k).c_str())));
          e.set(FIX::MDEntrySize(100 * (k + 1)));
          m.addGroup(e);
        }
        std::cout << m.toString();
        break;
      }
      case 3: {
        FIX42::ExecutionReport m(FIX::OrderID("O" + id), FIX::ExecID("E" + id), FIX::ExecTransType(FIX::ExecTransType_NEW),
                                 FIX::ExecType(FIX::ExecType_FILL), FIX::OrdStatus(FIX::OrdStatus_FILLED), FIX::Symbol("IBM"),
                                 FIX::Side(FIX::Side_BUY), FIX::LeavesQty(0), FIX::CumQty(300), FIX::AvgPx(std::atof(price(i).c_str())));
        header(m, "FIX.4.2", seq, false);
        m.set(FIX::ClOrdID("C" + id));
        m.set(FIX::LastShares(300));
        m.set(FIX::LastPx(std::atof(price(i).c_str())));
        std::cout << m.toString();
        break;
      }
      case 4: {
        FIX50SP2::ExecutionReport m(FIX::OrderID("O" + id), FIX::ExecID("E" + id), FIX::ExecType(FIX::ExecType_NEW),
                                    FIX::OrdStatus(FIX::OrdStatus_NEW), FIX::Side(FIX::Side_BUY), FIX::LeavesQty(500),
                                    FIX::CumQty(0));
        header(m, "FIXT.1.1", seq, false);
        m.getHeader().setField(FIX::ApplVerID(FIX::ApplVerID_FIX50SP2));
        m.set(FIX::Symbol("TSLA"));
        m.set(FIX::OrderQty(500));
        m.set(FIX::Price(std::atof(price(i).c_str())));
        std::cout << m.toString();
        break;
      }
      default: {
        if (i % 12 == 5) {
          FIX44::Logon m(FIX::EncryptMethod(0), FIX::HeartBtInt(30));
          header(m, "FIX.4.4", seq, false);
          std::cout << m.toString();
        } else {
          FIX44::Heartbeat m;
          header(m, "FIX.4.4", seq, false);
          m.set(FIX::TestReqID("T" + id));
          std::cout << m.toString();
        }
      }
    }
  }
  return 0;
}
