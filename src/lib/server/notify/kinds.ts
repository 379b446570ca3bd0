// Every kind of notification registers its renderer here, so the worker knows them all.
import './citizen';
import './staff';
import './staff-scan';
import '../letters/notify';
