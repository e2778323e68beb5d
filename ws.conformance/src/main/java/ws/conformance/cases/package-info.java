/**
 * The conformance cases and the machinery that runs one: {@link ws.conformance.cases.CaseRun} is the
 * fuzzing side of one connection (it sends raw frames, answers pings and closes, records what the peer
 * sends, and judges it), {@link ws.conformance.cases.Catalogue} lists every case with Autobahn's ids.
 *
 * <p>Verdicts follow the Autobahn testsuite: a case lists the event sequences it accepts, each with a
 * verdict (OK, NON-STRICT, INFORMATIONAL), and the closing behaviour it expects (who closes, which
 * codes, whether the close must be clean). This suite is stricter in three places, each reported as
 * FAILED with its reason: a frame from the peer that breaks RFC 6455 (Autobahn fails the connection
 * too), a peer that never fails a connection it must fail (Autobahn's fuzzing server lets that pass),
 * and a close code that differs from the expected ones (Autobahn's "WRONG CODE").
 *
 * <p>Extension cases (Autobahn groups 12 and 13, permessage-deflate) plug in through
 * {@link ws.conformance.cases.ConformanceCase#requestHeaders()} and
 * {@link ws.conformance.cases.CaseRun#allowRsv(int)}; none is defined yet.
 */
package ws.conformance.cases;
