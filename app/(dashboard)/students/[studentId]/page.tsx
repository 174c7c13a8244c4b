import { ActionButton } from '@/components/forms/action-button';
import { Badge, Card, Empty, PageTitle, Table, Td, fmtTime } from '@/components/ui';
import { forPage, requirePageUser } from '@/lib/auth/page';
import { getStudentDetail } from '@/lib/data/student-directory';
import { messagesFor } from '@/lib/i18n/dictionary';
import { getI18n } from '../../i18n';
import { PhotoThumb, type Box } from './photo-thumb';
import { PhotoUpload } from './photo-upload-client';

export const dynamic = 'force-dynamic';

type StoredQuality = { width?: number; height?: number; box?: Box | null };

export default async function StudentPage({ params }: { params: Promise<{ studentId: string }> }) {
  const { studentId } = await params;
  await requirePageUser(['admin'], `/students/${studentId}`);
  const { lang, t } = await getI18n();
  const { student, photos, templates, history } = await forPage(() => getStudentDetail(studentId));
  const base = `/api/students/${student.studentId}`;
  return (
    <>
      <PageTitle actions={<ActionButton method="DELETE" url={`${base}/biometrics`} label={t('students.deleteBiometrics')} confirmText={t('students.deleteBiometricsConfirm')} variant="danger" />}>
        {student.name} <span className="text-base font-normal text-slate-500">{student.studentNumber}</span>
      </PageTitle>
      <Card title={`${t('students.upload')}`}>
        <PhotoUpload url={`${base}/photos`} messages={messagesFor(lang)} />
      </Card>
      <Card title={`${t('students.photos')} (${photos.length}) · ${t('students.templates')}: ${templates}`}>
        {photos.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <ul className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="photos">
            {photos.map((p) => {
              const q = (p.quality ?? {}) as StoredQuality;
              return (
                <li key={p.photoId} className="rounded-md border border-slate-200 p-2 text-xs">
                  <PhotoThumb src={`${base}/photos/${p.photoId}`} box={q.box ?? null} width={q.width} height={q.height} accepted={p.accepted} />
                  <div className="mt-1 flex items-center justify-between gap-1">
                    <Badge tone={p.accepted ? 'green' : 'red'}>{p.accepted ? t('students.accepted') : t('students.rejected')}</Badge>
                    <ActionButton method="DELETE" url={`${base}/photos/${p.photoId}`} label={t('common.delete')} variant="danger" />
                  </div>
                  {p.reason ? <p className="mt-1 text-red-700">{p.reason}</p> : null}
                </li>
              );
            })}
          </ul>
        )}
      </Card>
      <Card title={t('students.history')}>
        {history.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <Table head={[t('common.date'), t('common.course'), t('common.status'), t('common.time')]}>
            {history.map((h) => (
              <tr key={h.sessionId}>
                <Td>{h.date}</Td>
                <Td>{h.courseCode}</Td>
                <Td>
                  <Badge tone={h.status === 'absent' ? 'red' : h.status === 'late' ? 'amber' : 'green'}>{h.status}</Badge> {h.source === 'manual' ? '✎' : ''}
                </Td>
                <Td>{fmtTime(h.timestamp)}</Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
