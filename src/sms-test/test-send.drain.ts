/**
 * The test-send controller's name for the drain. Every request, a test send included, is drained by
 * `InFlightInterceptor`; the controller's own `track` call runs inside the request's and adds nothing.
 */
export { InFlightDrain as TestSendDrain } from '../shutdown/in-flight.drain.js';
